build/cc-native/lenet train --data data/mnist --arch paper-softmax --passes 10 --seed 1  --model build/ablation/softmax-seed1.model --log figures/data/ablation/softmax-seed1.csv
