build/cc-native/lenet train --data data/mnist --arch paper-softmax --passes 10 --seed 2  --model build/ablation/softmax-seed2.model --log figures/data/ablation/softmax-seed2.csv
