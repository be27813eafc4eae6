build/cc-native/lenet train --data data/mnist --arch paper-softmax --passes 10 --seed 3  --model build/ablation/softmax-seed3.model --log figures/data/ablation/softmax-seed3.csv
